// The Relay global id the API gives a row (base64 of `Type:id`), for tests that name rows by their database id.
export const globalId = (type: string, id: number | string): string => Buffer.from(`${type}:${id}`).toString('base64');
