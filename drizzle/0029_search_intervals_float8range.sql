-- Ranges of float8 for the search's interval indexes (PostgreSQL has no built-in one): the indexes no longer convert doubles to numeric on every insert. subtype_diff lets SP-GiST/GiST weigh ranges.
CREATE TYPE "float8range" AS RANGE (subtype = float8, subtype_diff = float8mi);--> statement-breakpoint
DROP INDEX "records_time_idx";--> statement-breakpoint
DROP INDEX "records_em_idx";--> statement-breakpoint
CREATE INDEX "records_time_idx" ON "records" USING spgist (float8range(least("t_min", "t_max"), greatest("t_min", "t_max"), '[]')) WHERE "records"."t_min" IS NOT NULL AND "records"."t_max" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "records_em_idx" ON "records" USING spgist (float8range(least("em_min", "em_max"), greatest("em_min", "em_max"), '[]')) WHERE "records"."em_min" IS NOT NULL AND "records"."em_max" IS NOT NULL;