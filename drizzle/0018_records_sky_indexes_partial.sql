DROP INDEX "records_hpx_idx";--> statement-breakpoint
DROP INDEX "records_coverage_idx";--> statement-breakpoint
CREATE INDEX "records_hpx_idx" ON "records" USING btree ("hpx") WHERE "records"."hpx" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "records_coverage_idx" ON "records" USING gist ("coverage") WHERE "records"."coverage" IS NOT NULL;