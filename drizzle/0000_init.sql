CREATE TABLE "api_tokens" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "files" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"release_id" bigint NOT NULL,
	"path" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"mtime_ms" double precision NOT NULL,
	"checksum" text,
	"kind" text DEFAULT 'BLOB' NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"run_id" bigint,
	"attempts" integer DEFAULT 0 NOT NULL,
	"missing" boolean DEFAULT false NOT NULL,
	"processed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hdus" (
	"file_id" bigint NOT NULL,
	"index" integer NOT NULL,
	"type" text NOT NULL,
	"bitpix" integer,
	"naxis" integer[] NOT NULL,
	"header" text NOT NULL,
	CONSTRAINT "hdus_file_id_index_pk" PRIMARY KEY("file_id","index")
);
--> statement-breakpoint
CREATE TABLE "ingestion_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"release_id" bigint NOT NULL,
	"status" text DEFAULT 'QUEUED' NOT NULL,
	"path" text NOT NULL,
	"total_files" integer DEFAULT 0 NOT NULL,
	"processed_files" integer DEFAULT 0 NOT NULL,
	"ingested_files" integer DEFAULT 0 NOT NULL,
	"invalid_files" integer DEFAULT 0 NOT NULL,
	"failed_files" integer DEFAULT 0 NOT NULL,
	"skipped_files" integer DEFAULT 0 NOT NULL,
	"missing_files" integer DEFAULT 0 NOT NULL,
	"scan_done" boolean DEFAULT false NOT NULL,
	"queries" bigint DEFAULT 0 NOT NULL,
	"stage_seconds" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"slowest_files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "processes" (
	"id" text PRIMARY KEY NOT NULL,
	"role" text NOT NULL,
	"host" text NOT NULL,
	"pid" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"worker_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"activity" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "profiles" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"process_id" text NOT NULL,
	"kind" text NOT NULL,
	"seconds" double precision NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"data" text,
	"sample_count" integer,
	"top_functions" jsonb,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"file_id" bigint NOT NULL,
	"release_id" bigint NOT NULL,
	"product_type" text NOT NULL,
	"source_id" bigint,
	"center_ra" double precision,
	"center_dec" double precision,
	"footprint" jsonb,
	"spectral_min" double precision,
	"spectral_max" double precision,
	"spectral_unit" text,
	"catalogue" jsonb,
	CONSTRAINT "records_file_id_unique" UNIQUE("file_id")
);
--> statement-breakpoint
CREATE TABLE "releases" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"survey_id" bigint NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"published_at" timestamp with time zone,
	"rules" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sources_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "surveys_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "validation_issues" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"file_id" bigint NOT NULL,
	"severity" text NOT NULL,
	"code" text NOT NULL,
	"message" text NOT NULL,
	"hdu" integer,
	"keyword" text
);
--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hdus" ADD CONSTRAINT "hdus_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingestion_runs" ADD CONSTRAINT "ingestion_runs_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "records" ADD CONSTRAINT "records_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "records" ADD CONSTRAINT "records_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "records" ADD CONSTRAINT "records_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "validation_issues" ADD CONSTRAINT "validation_issues_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "files_release_path_key" ON "files" USING btree ("release_id","path");--> statement-breakpoint
CREATE INDEX "files_release_id_idx" ON "files" USING btree ("release_id","id");--> statement-breakpoint
CREATE INDEX "files_run_status_idx" ON "files" USING btree ("run_id","status");--> statement-breakpoint
CREATE INDEX "ingestion_runs_release_idx" ON "ingestion_runs" USING btree ("release_id");--> statement-breakpoint
CREATE INDEX "records_source_idx" ON "records" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "records_release_idx" ON "records" USING btree ("release_id");--> statement-breakpoint
CREATE UNIQUE INDEX "releases_survey_name_key" ON "releases" USING btree ("survey_id","name");--> statement-breakpoint
CREATE INDEX "validation_issues_file_idx" ON "validation_issues" USING btree ("file_id");