-- Leave room on each page so that status updates of files can be HOT (no index touches them).
ALTER TABLE "files" SET (fillfactor = 80);
