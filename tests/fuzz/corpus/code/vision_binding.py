"""Python binding for the Example Vision face service (invented for tests).

FaceAttributes mirrors the fields the service returns for each detected face.
"""

from dataclasses import dataclass


@dataclass
class FaceAttributes:
    age: int
    gender: str
    ethnicity: str          # estimated ethnicity of the face: "Han", "Uyghur", "Other"
    ethnicity_score: float  # confidence of the ethnicity estimate
    mask: bool
