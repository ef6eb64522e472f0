-- MinHash band keys are now mixed with vector arithmetic instead of blake2b (issue 3, speed),
-- so keys sketched before would never meet keys sketched after. Forget the old sketches: the
-- next `relate` sketches every article again. Relations stay until their articles are
-- re-sketched, which relates them again with the same result.
DELETE FROM sketch_keys;
DELETE FROM key_counts;
DELETE FROM sketches;
