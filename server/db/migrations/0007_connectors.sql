CREATE TABLE "sync_cursors" (
	"connection_id" uuid NOT NULL,
	"scope_key" text NOT NULL,
	"cursor" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_cursors_connection_id_scope_key_pk" PRIMARY KEY("connection_id","scope_key")
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"removed" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"connection_id" uuid NOT NULL,
	"delivery_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_connection_id_delivery_id_pk" PRIMARY KEY("connection_id","delivery_id")
);
--> statement-breakpoint
CREATE TABLE "webhook_secrets" (
	"connection_id" uuid NOT NULL,
	"name" text NOT NULL,
	"sealed_secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_secrets_connection_id_name_pk" PRIMARY KEY("connection_id","name")
);
--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "site" text;--> statement-breakpoint
-- Connections made before sites were kept: github.com's API is api.github.com; elsewhere the site is the API's host.
UPDATE "connections" SET "site" = CASE
	WHEN "host" = 'github' AND "base_url" ~* '^https?://api\.github\.com(/|$)' THEN 'github.com'
	ELSE lower(substring("base_url" from '^https?://([^/]+)'))
END;--> statement-breakpoint
ALTER TABLE "connections" ALTER COLUMN "site" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "credential" text DEFAULT 'token' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "asana_gid" text;--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "host_id" text;--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "state_category" text;--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "assignee_ids" text[];--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "created_on_host" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "updated_on_host" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "work_items" ADD COLUMN "removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sync_cursors" ADD CONSTRAINT "sync_cursors_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_secrets" ADD CONSTRAINT "webhook_secrets_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sync_runs_connection" ON "sync_runs" USING btree ("connection_id","started_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received" ON "webhook_deliveries" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "work_items_host_id" ON "work_items" USING btree ("workspace_id","source","host","host_id") WHERE "work_items"."host_id" is not null;