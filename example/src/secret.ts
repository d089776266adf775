/**
 * A secret the example needs from the environment or example/.env, which `npm start` fills with
 * random values on first run: a constant in the repository would be the same on every install.
 */
export const secret = (env: (name: string) => string | undefined, name: string): string => {
  const value = env(name);
  if (!value) {
    throw new Error(`example: ${name} is not set. Run \`npm start\` once (it writes random secrets to example/.env) or set ${name} yourself.`);
  }
  return value;
};
