// What the request handlers receive: the store, a way to wake the controllers, and the
// parsed request.
import type { PodAdmission } from '../objects/pod-admission.js';
import type { ObjectStore } from '../store.js';
import type { ResourceDef, Verb } from './resources.js';

export type ApiContext = {
  store: ObjectStore;
  /** Wakes the controllers after a write, as a watch event would. */
  kick(): void;
  /** How the admission plugins are configured (see PodAdmission). */
  admission?: PodAdmission;
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
  /** The client's User-Agent: its part before "/" names the field manager when the request does not. */
  userAgent?: string;
};

/** `warnings` become `Warning: 299` headers (unknown fields under fieldValidation=Warn). */
export type ApiReply = { code: number; body: unknown; warnings?: string[] };
