/** Catalog's connections paginate with the shared helpers (the auth subgraph's use them too). */
export {
  type CursorPart,
  decodeCursor,
  encodeCursor,
  MAX_PAGE_SIZE,
  type Page,
  pageSize,
  toPage,
} from "@urr/subgraph-kit";
