DROP TABLE marking_schemes;
