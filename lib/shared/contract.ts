/**
 * The goals API contract (v1): the one place that says what goes over the wire.
 * The server validates requests and generates its OpenAPI document from these schemas;
 * the extension parses every response with them. A change of the API is a change of these
 * files: this one and the resource files of contract/ it gathers, imported through here.
 */

export * from './contract/base';
export * from './contract/connections';
export * from './contract/files';
export * from './contract/metrics';
export * from './contract/objectives';
export * from './contract/people';
export * from './contract/scope';
export * from './contract/work';
export * from './contract/workspace';
export { formatRef, KEY_PATTERNS, parseRef, projectOfRef, type TicketRef } from './ref';
