local env = std.native('env');
{
  serviceName: 'catalog',
  desiredCount: std.parseInt(env('DESIRED_COUNT', '2')),
  launchType: 'FARGATE',
  networkConfiguration: {
    awsvpcConfiguration: {
      subnets: ['subnet-12345678', 'subnet-87654321'],
      securityGroups: ['sg-12345678'],
      assignPublicIp: 'DISABLED',
    },
  },
  vpcLatticeConfiguration: { enabled: true },
}
