"""The declaratie service: contracten, declaraties (323 -> 325), voorschotten, afrekening, benutting."""
