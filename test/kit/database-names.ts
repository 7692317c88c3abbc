// Names and URLs of the databases the test kit creates on a PostgreSQL server.
export function templateName(): string {
  return `wp_test_template_${process.pid}`;
}

/** The URL of the server's maintenance database, from which databases are created and dropped. */
export function adminUrl(url: string): string {
  return url;
}

/** 'postgres' when the run must use PostgreSQL (CI, or TEST_DATABASE=postgres): a skipped suite is a failure. */
export function requiredMode(): 'postgres' | 'embedded' | 'any' {
  const wanted = process.env.TEST_DATABASE;
  if (wanted === 'postgres' || wanted === 'embedded') return wanted;
  return process.env.CI === 'true' ? 'postgres' : 'any';
}
