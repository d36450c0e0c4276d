/** Entities owned elsewhere, as ticket sees them: just their keys. */
export interface EventRef {
  id: string;
}

export interface UserRef {
  id: string;
}

export interface ArtistRef {
  id: string;
}
