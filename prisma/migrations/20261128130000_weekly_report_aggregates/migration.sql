-- No CHECK constraints here: rows are maintained with INSERT ... ON CONFLICT DO UPDATE of signed
-- differences, and PostgreSQL checks the proposed (difference) row before it resolves the conflict.
-- CreateTable
CREATE TABLE "weekly_report_aggregates" (
    "week" VARCHAR(8) NOT NULL,
    "country" CHAR(2) NOT NULL,
    "city" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "reports" INTEGER NOT NULL DEFAULT 0,
    "stress_sum" INTEGER NOT NULL DEFAULT 0,
    "workdays_sum" INTEGER NOT NULL DEFAULT 0,
    "stress_1" INTEGER NOT NULL DEFAULT 0,
    "stress_2" INTEGER NOT NULL DEFAULT 0,
    "stress_3" INTEGER NOT NULL DEFAULT 0,
    "stress_4" INTEGER NOT NULL DEFAULT 0,
    "stress_5" INTEGER NOT NULL DEFAULT 0,
    "stress_6" INTEGER NOT NULL DEFAULT 0,
    "stress_7" INTEGER NOT NULL DEFAULT 0,
    "stress_8" INTEGER NOT NULL DEFAULT 0,
    "stress_9" INTEGER NOT NULL DEFAULT 0,
    "stress_10" INTEGER NOT NULL DEFAULT 0,
    "interviews" INTEGER NOT NULL DEFAULT 0,
    "offers" INTEGER NOT NULL DEFAULT 0,
    "hires" INTEGER NOT NULL DEFAULT 0,
    "attritions" INTEGER NOT NULL DEFAULT 0,
    "orders_processed" INTEGER NOT NULL DEFAULT 0,
    "tasks_completed" INTEGER NOT NULL DEFAULT 0,
    "incidents" INTEGER NOT NULL DEFAULT 0,
    "sla_breaches" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "weekly_report_aggregates_pkey" PRIMARY KEY ("week","country","city","role")
);
