ALTER TABLE "files" DROP CONSTRAINT "files_release_id_releases_id_fk";
--> statement-breakpoint
ALTER TABLE "hdus" DROP CONSTRAINT "hdus_file_id_files_id_fk";
--> statement-breakpoint
ALTER TABLE "records" DROP CONSTRAINT "records_file_id_files_id_fk";
--> statement-breakpoint
ALTER TABLE "records" DROP CONSTRAINT "records_release_id_releases_id_fk";
--> statement-breakpoint
ALTER TABLE "records" DROP CONSTRAINT "records_source_id_sources_id_fk";
--> statement-breakpoint
ALTER TABLE "validation_issues" DROP CONSTRAINT "validation_issues_file_id_files_id_fk";
