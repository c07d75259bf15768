CREATE TABLE "run_issues" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" bigint NOT NULL,
	"path" text NOT NULL,
	"code" text NOT NULL,
	"message" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ingestion_runs" ADD COLUMN "skipped_entries" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "run_issues" ADD CONSTRAINT "run_issues_run_id_ingestion_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."ingestion_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "run_issues_run_idx" ON "run_issues" USING btree ("run_id","id");