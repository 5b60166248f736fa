import { defaultApp } from '../helpers/default-app';
import { deployedServices, resourcesOf } from '../helpers/deployed-service';
import { frontDoorOf } from '../helpers/lattice';

/**
 * Every service the user's configuration gives a VPC Lattice front door has one, in every
 * environment of the stages where it is on; every other service has none.
 */
test('front doors exactly where the configuration asks for them, each complete', () => {
  const app = defaultApp();
  let doors = 0;
  for (const { stage, serviceStacks } of app.environments) {
    for (const stack of serviceStacks) {
      const resources = resourcesOf(stack);
      for (const deployed of deployedServices(resources, stage.prefix)) {
        const model = stage.services.find((s) => s.name === deployed.name)!;
        const door = frontDoorOf(resources, stage.prefix, deployed.name);
        expect({ service: deployed.name, stage: stage.name, door: door !== undefined }).toEqual({
          service: deployed.name,
          stage: stage.name,
          door: model.lattice,
        });
        if (!door) continue;
        doors++;
        expect(door.service.Properties.AuthType).toBe('AWS_IAM');
        expect(door.listeners.map((l) => [l.Properties.Protocol, l.Properties.Port])).toEqual([
          ['HTTPS', 443],
        ]);
        expect(door.targetGroups).toHaveLength(1);
        expect(door.targetGroups[0].Properties.Targets).toEqual([
          { Id: { Ref: deployed.aliasId } },
        ]);
        expect(door.authPolicies).toHaveLength(1);
        expect(door.accessLogs).toHaveLength(1);
        expect(door.associations).toHaveLength(1);
      }
    }
  }
  const wanted = app.environments.flatMap((e) => e.stage.services.filter((s) => s.lattice));
  expect(doors).toBe(wanted.length);
});
