ALTER TABLE "records" ADD COLUMN "dataproduct_type" text DEFAULT 'other' NOT NULL;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "obs_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "calib_level" integer;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "em_min" double precision;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "em_max" double precision;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "t_min" double precision;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "t_max" double precision;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "t_exptime" double precision;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "facility_name" text;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "instrument_name" text;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "fov" double precision;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "hpx" bigint;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "coverage" "int8multirange";--> statement-breakpoint
CREATE INDEX "records_hpx_idx" ON "records" USING btree ("hpx");--> statement-breakpoint
CREATE INDEX "records_coverage_idx" ON "records" USING gist ("coverage");