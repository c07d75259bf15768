DROP INDEX "records_source_idx";--> statement-breakpoint
CREATE INDEX "records_source_idx" ON "records" USING btree ("source_id") WHERE "records"."source_id" IS NOT NULL;--> statement-breakpoint
-- A file is written twice: registered by the scan (~135 bytes), then updated by its batch with
-- kind, checksum and processed_at (~215 bytes). A HOT update (no index writes) needs room for
-- the new version on the same page, so a page may be filled at most to r / (r + f) of 8 kB,
-- about 38%. At fillfactor 80 only ~20% of the updates were HOT (pg_stat_user_tables, bench
-- blobs); at 35 all are, and a batch's finishing statement costs ~6 us less server CPU per
-- file. The table ends no bigger: the non-HOT updates left each file on two pages anyway.
-- Applies to pages written from now on; existing pages keep their layout.
ALTER TABLE "files" SET (fillfactor = 35);
