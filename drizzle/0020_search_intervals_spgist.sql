DROP INDEX "records_time_idx";--> statement-breakpoint
DROP INDEX "records_em_idx";--> statement-breakpoint
CREATE INDEX "records_time_idx" ON "records" USING spgist (numrange(least("t_min", "t_max")::numeric, greatest("t_min", "t_max")::numeric, '[]')) WHERE "records"."t_min" IS NOT NULL AND "records"."t_max" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "records_em_idx" ON "records" USING spgist (numrange(least("em_min", "em_max")::numeric, greatest("em_min", "em_max")::numeric, '[]')) WHERE "records"."em_min" IS NOT NULL AND "records"."em_max" IS NOT NULL;