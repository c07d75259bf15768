CREATE TABLE "run_progress" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"files" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "run_progress" ADD CONSTRAINT "run_progress_run_id_ingestion_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."ingestion_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "run_progress_run_idx" ON "run_progress" USING btree ("run_id","at");--> statement-breakpoint
-- Earlier runs' progress, as far as their files still tell it (the files a later run touched tell that run's).
INSERT INTO "run_progress" ("run_id", "at", "files")
SELECT f."run_id", f."processed_at", count(*)::int FROM "files" f JOIN "ingestion_runs" r ON r."id" = f."run_id"
WHERE f."processed_at" IS NOT NULL AND f."processed_at" >= r."started_at"
GROUP BY f."run_id", f."processed_at";
