import { latticeServiceName } from '../../lib/resource-names';
import { ofType, type Resources } from './deployed-service';

/** The VPC Lattice resources that make one service's front door, by type. */
export interface FrontDoor {
  readonly serviceId: string;
  readonly service: Resources[string];
  readonly listeners: Resources[string][];
  readonly targetGroups: Resources[string][];
  readonly authPolicies: Resources[string][];
  readonly accessLogs: Resources[string][];
  readonly associations: Resources[string][];
}

/** A service's front door in a stack, found by its Lattice service's name; undefined if none. */
export function frontDoorOf(
  resources: Resources,
  prefix: string,
  service: string,
): FrontDoor | undefined {
  const name = latticeServiceName(prefix, service).toLowerCase();
  const found = ofType(resources, 'AWS::VpcLattice::Service').find(
    ([, r]) => r.Properties.Name === name,
  );
  if (!found) return undefined;
  const [serviceId, serviceResource] = found;
  const onService = (type: string, property: string) =>
    ofType(resources, type)
      .filter(([, r]) => JSON.stringify(r.Properties[property]).includes(`"${serviceId}"`))
      .map(([, r]) => r);
  return {
    serviceId,
    service: serviceResource,
    listeners: onService('AWS::VpcLattice::Listener', 'ServiceIdentifier'),
    targetGroups: ofType(resources, 'AWS::VpcLattice::TargetGroup')
      .filter(([, r]) => r.Properties.Name === name)
      .map(([, r]) => r),
    authPolicies: onService('AWS::VpcLattice::AuthPolicy', 'ResourceIdentifier'),
    accessLogs: onService('AWS::VpcLattice::AccessLogSubscription', 'ResourceIdentifier'),
    associations: onService(
      'AWS::VpcLattice::ServiceNetworkServiceAssociation',
      'ServiceIdentifier',
    ),
  };
}
