-- CreateTable
CREATE TABLE "user_population" (
    "country" CHAR(2) NOT NULL,
    "city" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "active_users" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "user_population_pkey" PRIMARY KEY ("country","city","role")
);

-- Keeps user_population equal to the active users per (country, city, role), whoever writes users.
CREATE FUNCTION "user_population_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.active THEN
    UPDATE user_population SET active_users = active_users - 1
    WHERE country = OLD.country AND city = OLD.city AND role = OLD.role;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.active THEN
    INSERT INTO user_population (country, city, role, active_users) VALUES (NEW.country, NEW.city, NEW.role, 1)
    ON CONFLICT (country, city, role) DO UPDATE SET active_users = user_population.active_users + 1;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION "user_population_reset"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM user_population;
  RETURN NULL;
END
$$;

CREATE TRIGGER "users_population_sync" AFTER INSERT OR DELETE OR UPDATE OF active, country, city, role ON "users"
  FOR EACH ROW EXECUTE FUNCTION "user_population_sync"();

CREATE TRIGGER "users_population_reset" AFTER TRUNCATE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION "user_population_reset"();

-- The users that exist already.
INSERT INTO "user_population" ("country", "city", "role", "active_users")
SELECT "country", "city", "role", count(*) FROM "users" WHERE "active" GROUP BY 1, 2, 3;
