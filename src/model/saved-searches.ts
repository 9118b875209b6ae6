// Saved searches: a subscriber's named query in the search query language.

export interface SavedSearch {
  id: string;
  subscriberId: string;
  name: string;
  query: string;
  createdAt: string;
}

export interface SavedSearchStore {
  /** Saves a query under a name unique for the subscriber (ConflictError when taken). */
  create(s: { subscriberId: string; name: string; query: string }, now?: Date): Promise<SavedSearch>;
  get(id: string): Promise<SavedSearch | null>;
  list(subscriberId: string): Promise<SavedSearch[]>;
  /** Deletes; false when there was nothing to delete. */
  delete(id: string): Promise<boolean>;
}
