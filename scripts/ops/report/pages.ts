/**
 * Every page of an AWS list call, following its token until a page has none; the caller may stop
 * early. Each call gets an input of its own (the SDK's paginators reuse one and change it).
 */
export async function* pages<T>(
  call: (token: string | undefined) => Promise<T>,
  next: (page: T) => string | undefined = (page) => (page as { nextToken?: string }).nextToken,
): AsyncGenerator<T> {
  let token: string | undefined;
  do {
    const page = await call(token);
    yield page;
    token = next(page);
  } while (token);
}
