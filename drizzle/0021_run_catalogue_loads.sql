ALTER TABLE "ingestion_runs" ADD COLUMN "catalogue_loads" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ingestion_runs" ADD COLUMN "catalogue_loads_done" integer DEFAULT 0 NOT NULL;