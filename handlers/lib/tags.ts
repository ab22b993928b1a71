// AWS tags as the handlers write them (Key/Value pairs) and read them (a record by key), for every service alike.

/** A tag as the snapshot APIs take it on create and copy calls. */
export interface Tag {
  Key: string;
  Value: string;
}

/** Tags by key, as read back from AWS. */
export type Tags = Record<string, string>;

/** A tag list as AWS returns it (either field may be missing). */
export type TagList = readonly { Key?: string; Value?: string }[] | undefined;

/** The tags by key; a key such as `__proto__` stays a plain own property. */
export function tagRecord(list: TagList): Tags {
  const record: Tags = {};
  for (const t of list ?? []) if (t.Key !== undefined) Object.defineProperty(record, t.Key, { value: t.Value ?? "", enumerable: true, writable: true, configurable: true });
  return record;
}

/** Whether the list carries `key=value`. */
export function hasTag(list: TagList, key: string, value: string): boolean {
  return (list ?? []).some((t) => t.Key === key && t.Value === value);
}
