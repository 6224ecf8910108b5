/**
 * Tarjan's strongly connected components, iterative (a chain of thousands of nodes must not
 * overflow the stack). Components come out in reverse topological order: every component
 * after the ones it points to. Linear in nodes plus edges.
 */
export function stronglyConnected<T>(nodes: readonly T[], edges: (node: T) => readonly T[]): T[][] {
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const onStack = new Set<T>();
  const stack: T[] = [];
  const out: T[][] = [];
  let next = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: T; targets: readonly T[]; at: number }[] = [];
    const open = (node: T) => {
      index.set(node, next);
      low.set(node, next);
      next++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, targets: edges(node), at: 0 });
    };
    open(root);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      if (frame.at < frame.targets.length) {
        const target = frame.targets[frame.at++]!;
        if (!index.has(target)) open(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: T[] = [];
      let member: T;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      out.push(component);
    }
  }
  return out;
}
