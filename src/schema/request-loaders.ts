// Per-request DataLoaders, created on first use and keyed by name (plus the selection they load),
// so that every parent on a page shares one batched SQL statement.
import DataLoader from 'dataloader';
import type { GraphQLContext } from './context.js';

const loadersByRequest = new WeakMap<GraphQLContext, Map<string, DataLoader<unknown, unknown>>>();

export function requestLoader<K, V>(
  ctx: GraphQLContext,
  key: string,
  batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
  options?: DataLoader.Options<K, V, string>,
): DataLoader<K, V, string> {
  let loaders = loadersByRequest.get(ctx);
  if (!loaders) {
    loaders = new Map();
    loadersByRequest.set(ctx, loaders);
  }
  let loader = loaders.get(key) as DataLoader<K, V, string> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V, string>(batch, options);
    loaders.set(key, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}
