/* Character creation for an example role-playing game. */
typedef enum Race {
    RACE_HUMAN,
    RACE_ELF,
    RACE_ORC,
    RACE_DWARF
} Race;

/* The player picks a race and a class; the face of the avatar is drawn
 * from the race's portrait set. */
struct Character {
    Race race;
    int class_id;
    int face_preset;
};
