CREATE TABLE "tap_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_token_id" bigint,
	"phase" text DEFAULT 'PENDING' NOT NULL,
	"run_id" text,
	"parameters" jsonb NOT NULL,
	"query" text NOT NULL,
	"maxrec" bigint NOT NULL,
	"format" text NOT NULL,
	"execution_duration" integer NOT NULL,
	"destruction" timestamp with time zone NOT NULL,
	"result_path" text NOT NULL,
	"result_rows" bigint,
	"result_overflow" boolean,
	"error_summary" text,
	"error_is_usage" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "tap_jobs_owner_idx" ON "tap_jobs" USING btree ("owner_token_id","created_at");--> statement-breakpoint
CREATE INDEX "tap_jobs_destruction_idx" ON "tap_jobs" USING btree ("destruction");