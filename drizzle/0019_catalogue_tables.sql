CREATE TABLE "catalogue_tables" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"record_id" bigint NOT NULL,
	"file_id" bigint NOT NULL,
	"release_id" bigint NOT NULL,
	"hdu" integer NOT NULL,
	"schema_name" text NOT NULL,
	"table_name" text NOT NULL,
	"row_count" bigint NOT NULL,
	"columns" jsonb NOT NULL,
	"ra_column" text,
	"dec_column" text,
	"id_column" text,
	"loaded_checksum" text,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "catalogue_tables_file_hdu_key" ON "catalogue_tables" USING btree ("file_id","hdu");--> statement-breakpoint
CREATE UNIQUE INDEX "catalogue_tables_name_key" ON "catalogue_tables" USING btree ("schema_name","table_name");--> statement-breakpoint
CREATE INDEX "catalogue_tables_record_idx" ON "catalogue_tables" USING btree ("record_id");