// openapi-typescript builds its output with the TypeScript 5 compiler API, which TypeScript 7
// (the project's type checker, a native binary) no longer ships. This module-resolution hook
// hands openapi-typescript the `typescript5` package (an npm alias of typescript@5) instead.
// Used by `npm run generate:api` and `check:api` (node --import ./scripts/ts5-for-openapi-typescript.mjs);
// package.json overrides openapi-typescript's peer range so that npm installs both side by side.
import { register } from 'node:module';

const hook = `
export async function resolve(specifier, context, next) {
  if (specifier === 'typescript' && context.parentURL?.includes('/openapi-typescript/')) {
    return next('typescript5', context);
  }
  return next(specifier, context);
}`;

register(`data:text/javascript,${encodeURIComponent(hook)}`, import.meta.url);
