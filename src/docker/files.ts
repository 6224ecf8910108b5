/** File names a directory walk treats as Dockerfiles: Dockerfile, Containerfile, Dockerfile.*, *.Dockerfile. */
export function isDockerfileName(name: string): boolean {
  return (
    /^(Dockerfile|Containerfile)(\.[\w.-]+)?$/i.test(name) || /\.(dockerfile|containerfile)$/i.test(name)
  );
}
