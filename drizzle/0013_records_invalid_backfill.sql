-- Records of files that were INVALID before the column existed.
UPDATE "records" rec SET "invalid" = true FROM "files" f WHERE f."id" = rec."file_id" AND f."status" = 'INVALID';
