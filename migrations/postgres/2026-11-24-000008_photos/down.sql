DROP TABLE competitor_photos;
