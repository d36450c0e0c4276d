/** Provided by the build (vite.config.mts): the web frontend's registered document ids by name. */
declare module "virtual:web-documents" {
  export const documentIds: Readonly<Record<string, string>>;
}
