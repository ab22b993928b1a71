// The error a function throws, for asserting its name and exact message; a function that does not throw fails the test.
export function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error("expected a throw");
}
