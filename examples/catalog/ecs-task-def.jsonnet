local must_env = std.native('must_env');
local port = 8080;
{
  family: 'catalog',
  containerDefinitions: [
    {
      name: 'web',
      image: 'nginx:' + must_env('IMAGE_TAG'),
      essential: true,
      portMappings: [
        { name: 'http', containerPort: port, hostPort: port, protocol: 'tcp', appProtocol: 'http' },
      ],
    },
  ],
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '256',
  memory: '512',
}
