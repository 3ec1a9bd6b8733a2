/*
 * acme_netsdk_face.h - ACME NetSDK 4.2, face analytics events (example).
 *
 * Invented header written for redflag's tests: it mirrors how camera SDKs
 * expose face-attribute events, including a race/ethnicity field.
 */
#ifndef ACME_NETSDK_FACE_H
#define ACME_NETSDK_FACE_H

typedef enum tagEM_SEX_TYPE {
    EM_SEX_TYPE_UNKNOWN = 0,
    EM_SEX_TYPE_MALE,
    EM_SEX_TYPE_FEMALE
} EM_SEX_TYPE;

/* race of the detected face */
typedef enum tagEM_RACE_TYPE {
    EM_RACE_UNKNOWN = 0,
    EM_RACE_YELLOW,   /* yellow race */
    EM_RACE_BLACK,    /* black race */
    EM_RACE_WHITE     /* white race */
} EM_RACE_TYPE;

typedef struct tagNET_FACE_ATTRIBUTE {
    EM_SEX_TYPE  emSex;       /* sex */
    int          nAge;        /* age */
    EM_RACE_TYPE emRace;      /* race */
    int          bMask;       /* wearing a mask */
    int          bGlasses;    /* wearing glasses */
} NET_FACE_ATTRIBUTE;

/* Event EVENT_IVS_FACEDETECT: one snapshot with its face attributes. */
typedef struct tagDEV_EVENT_FACEDETECT_INFO {
    int                nChannelID;
    char               szSnapPath[260];
    NET_FACE_ATTRIBUTE stuFaceAttr;
} DEV_EVENT_FACEDETECT_INFO;

#endif
