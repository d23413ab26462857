// What the request handlers receive: the store, a way to wake the controllers, and the
// parsed request.
import type { ObjectStore } from '../store.js';
import type { ResourceDef, Verb } from './resources.js';

export type ApiContext = {
  store: ObjectStore;
  /** Wakes the controllers after a write, as a watch event would. */
  kick(): void;
};

export type ApiRequest = {
  verb: Verb;
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  body: string;
  contentType?: string;
};

export type ApiReply = { code: number; body: unknown };
