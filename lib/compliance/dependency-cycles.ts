import { referencesIn, type CfnTemplate } from './template-text';

/**
 * The dependency cycles of a template, as CloudFormation sees them: resource A depends on B when
 * A refers to B anywhere (`Ref`, `Fn::GetAtt`, `Fn::Sub` in its properties, its `UpdatePolicy`,
 * `CreationPolicy` or `Metadata`) or names it in `DependsOn`. CloudFormation refuses a template
 * with a cycle before creating anything, and neither cdk-nag nor the CDK's own validation looks.
 *
 * Each cycle is returned once, as the logical ids along the loop starting with the smallest
 * (`[A, B, C]` means A → B → C → A), so messages and tests are stable.
 */
export function dependencyCycles(template: CfnTemplate): string[][] {
  const resources = template.Resources ?? {};
  const ids = new Set(Object.keys(resources));
  const edges = new Map<string, string[]>();
  for (const [id, resource] of Object.entries(resources)) {
    const refs = referencesIn(
      [resource.Properties, resource.UpdatePolicy, resource.CreationPolicy, resource.Metadata],
      ids,
    );
    for (const dep of [resource.DependsOn ?? []].flat()) if (ids.has(dep)) refs.add(dep);
    edges.set(id, [...refs].sort());
  }
  return stronglyConnected(edges)
    .filter((component) => component.length > 1 || edges.get(component[0])!.includes(component[0]))
    .map((component) => loopThrough(component, edges))
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/** Tarjan's algorithm, iterative (templates can hold hundreds of resources). */
function stronglyConnected(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const root of [...edges.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const targets = edges.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++];
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** One loop through a strongly connected component, from its smallest id back to it. */
function loopThrough(component: string[], edges: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0];
  // Breadth-first from the start's successors back to the start: the shortest loop through it.
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of edges.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const loop = [node];
        while (loop[0] !== start) loop.unshift(previous.get(loop[0])!);
        return loop;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
}
