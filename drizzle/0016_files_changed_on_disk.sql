-- Set by a download that finds a file on disk no longer as ingested; the next scan re-reads such a file and clears it.
ALTER TABLE "files" ADD COLUMN "changed_on_disk" boolean DEFAULT false NOT NULL;