-- The sky index carries what a cross-match probe reads (src/db/queries/crossmatch.ts), so each
-- probe is an index-only scan instead of a heap page per candidate. Same name, so the cone
-- searches and the find bench's rebuild keep using it. drizzle's index builder has no INCLUDE:
-- schema.ts declares the key and this migration the columns carried.
DROP INDEX IF EXISTS "records_hpx_idx";--> statement-breakpoint
CREATE INDEX "records_hpx_idx" ON "records" USING btree ("hpx") INCLUDE ("id", "center_ra", "center_dec", "release_id", "invalid") WHERE "records"."hpx" IS NOT NULL;
