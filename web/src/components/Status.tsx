export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorNote({ error }: { error: string }) {
  return (
    <p className="error" role="alert">
      {error}
    </p>
  );
}
