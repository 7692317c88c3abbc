-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('EMPLOYEE', 'MANAGER', 'ANALYST', 'ADMIN');

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'EMPLOYEE',
    "city" TEXT NOT NULL,
    "country" CHAR(2) NOT NULL,
    "manager_id" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "users_country_check" CHECK ("country" ~ '^[A-Z]{2}$'),
    CONSTRAINT "users_email_check" CHECK ("email" ~ '^[^@\s]+@[^@\s]+$'),
    CONSTRAINT "users_name_check" CHECK (length(btrim("name")) > 0),
    CONSTRAINT "users_manager_check" CHECK ("manager_id" IS NULL OR "manager_id" <> "id")
);

-- CreateTable
CREATE TABLE "weekly_reports" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "week" VARCHAR(8) NOT NULL,
    "workdays" SMALLINT NOT NULL,
    "stress_level" SMALLINT NOT NULL,
    "highlights" TEXT NOT NULL,
    "blockers" TEXT,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "weekly_reports_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "weekly_reports_week_check" CHECK ("week" ~ '^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$'),
    CONSTRAINT "weekly_reports_workdays_check" CHECK ("workdays" BETWEEN 0 AND 7),
    CONSTRAINT "weekly_reports_stress_level_check" CHECK ("stress_level" BETWEEN 1 AND 10)
);

-- CreateTable
CREATE TABLE "hr_metrics" (
    "report_id" INTEGER NOT NULL,
    "interviews" INTEGER NOT NULL DEFAULT 0,
    "offers" INTEGER NOT NULL DEFAULT 0,
    "hires" INTEGER NOT NULL DEFAULT 0,
    "attritions" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "hr_metrics_pkey" PRIMARY KEY ("report_id"),
    CONSTRAINT "hr_metrics_non_negative_check" CHECK ("interviews" >= 0 AND "offers" >= 0 AND "hires" >= 0 AND "attritions" >= 0)
);

-- CreateTable
CREATE TABLE "ops_metrics" (
    "report_id" INTEGER NOT NULL,
    "orders_processed" INTEGER NOT NULL DEFAULT 0,
    "tasks_completed" INTEGER NOT NULL DEFAULT 0,
    "incidents" INTEGER NOT NULL DEFAULT 0,
    "sla_breaches" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ops_metrics_pkey" PRIMARY KEY ("report_id"),
    CONSTRAINT "ops_metrics_non_negative_check" CHECK ("orders_processed" >= 0 AND "tasks_completed" >= 0 AND "incidents" >= 0 AND "sla_breaches" >= 0)
);

-- CreateTable
CREATE TABLE "work_schedules" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "date" DATE NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "remote" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "work_schedules_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "work_schedules_time_check" CHECK ("ends_at" > "starts_at")
);

-- CreateTable
CREATE TABLE "team_meetings" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "city" TEXT NOT NULL,
    "organizer_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_meetings_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "team_meetings_duration_check" CHECK ("duration_minutes" BETWEEN 1 AND 1440),
    CONSTRAINT "team_meetings_title_check" CHECK (length(btrim("title")) > 0)
);

-- CreateTable
CREATE TABLE "_MeetingAttendees" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,

    CONSTRAINT "_MeetingAttendees_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_name_id_idx" ON "users"("name", "id");

-- CreateIndex
CREATE INDEX "users_created_at_id_idx" ON "users"("created_at", "id");

-- CreateIndex
CREATE INDEX "users_city_name_id_idx" ON "users"("city", "name", "id");

-- CreateIndex
CREATE INDEX "users_country_name_id_idx" ON "users"("country", "name", "id");

-- CreateIndex
CREATE INDEX "users_role_name_id_idx" ON "users"("role", "name", "id");

-- CreateIndex
CREATE INDEX "users_manager_id_id_idx" ON "users"("manager_id", "id");

-- CreateIndex
CREATE INDEX "users_name_trgm_idx" ON "users" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "users_email_trgm_idx" ON "users" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "weekly_reports_week_id_idx" ON "weekly_reports"("week", "id");

-- CreateIndex
CREATE UNIQUE INDEX "weekly_reports_user_id_week_key" ON "weekly_reports"("user_id", "week");

-- CreateIndex
CREATE UNIQUE INDEX "work_schedules_user_id_date_key" ON "work_schedules"("user_id", "date");

-- CreateIndex
CREATE INDEX "team_meetings_starts_at_id_idx" ON "team_meetings"("starts_at", "id");

-- CreateIndex
CREATE INDEX "team_meetings_city_starts_at_id_idx" ON "team_meetings"("city", "starts_at", "id");

-- CreateIndex
CREATE INDEX "team_meetings_organizer_id_starts_at_idx" ON "team_meetings"("organizer_id", "starts_at");

-- CreateIndex
CREATE INDEX "_MeetingAttendees_B_index" ON "_MeetingAttendees"("B");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_manager_id_fkey" FOREIGN KEY ("manager_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "weekly_reports" ADD CONSTRAINT "weekly_reports_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hr_metrics" ADD CONSTRAINT "hr_metrics_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "weekly_reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ops_metrics" ADD CONSTRAINT "ops_metrics_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "weekly_reports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_schedules" ADD CONSTRAINT "work_schedules_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_meetings" ADD CONSTRAINT "team_meetings_organizer_id_fkey" FOREIGN KEY ("organizer_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_MeetingAttendees" ADD CONSTRAINT "_MeetingAttendees_A_fkey" FOREIGN KEY ("A") REFERENCES "team_meetings"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_MeetingAttendees" ADD CONSTRAINT "_MeetingAttendees_B_fkey" FOREIGN KEY ("B") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
