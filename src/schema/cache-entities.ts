// Names of cached entities as the response cache records them: the type name and the global id.
import { encodeGlobalID } from '@pothos/plugin-relay';

export function cachedEntity(typename: string, id: number): { typename: string; id: string } {
  return { typename, id: encodeGlobalID(typename, id) };
}
