/**
 * The root tsconfig resolves modules the Node 10 way, which ignores package `exports`, so
 * `@strapi/strapi/admin` (an exports-only subpath) has no types there. Point it at the file that
 * subpath re-exports: `@strapi/admin`'s admin entry. The bundler (strapi-plugin build) and the host
 * resolve the real subpath; this only feeds the type checker.
 */
declare module '@strapi/strapi/admin' {
  export * from '@strapi/admin/dist/admin/src/index';
}

/** Same story for the icons package's `./symbols` subpath (illustrations such as EmptyDocuments). */
declare module '@strapi/icons/symbols' {
  export * from '@strapi/icons/dist/symbols-index';
}
