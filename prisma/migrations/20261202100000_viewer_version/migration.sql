-- A version number of what decides who a viewer is (users' role, active and manager_id, and which users
-- exist), bumped by PostgreSQL itself whoever writes users (this API, an admin's psql, an HR import), so
-- every instance's viewer cache can be invalidated by a NOTIFY at once and by polling the version when a
-- NOTIFY is lost (src/server/viewer-cache.ts). The row's new value is visible only once the write commits,
-- as is the NOTIFY.
CREATE TABLE "viewer_version" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "viewer_version_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "viewer_version_single_row_check" CHECK ("id" = 1)
);

INSERT INTO "viewer_version" ("id", "version") VALUES (1, 0);

CREATE FUNCTION "viewer_version_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bumped BIGINT;
BEGIN
  UPDATE viewer_version SET version = version + 1 WHERE id = 1 RETURNING version INTO bumped;
  PERFORM pg_notify('viewer_changed', bumped::text);
  RETURN NULL;
END
$$;

-- Once per statement, however many rows it wrote: a bulk import bumps the version once.
CREATE TRIGGER "users_viewer_version" AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF role, active, manager_id ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION "viewer_version_bump"();
