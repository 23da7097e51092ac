// Company information (`/3/companyinformation`): where a client learns the tenant id (DatabaseNumber).
import type { FastifyInstance } from 'fastify';
import { tenantOf } from './common';

export function companyRoutes(app: FastifyInstance): void {
  app.get('/3/companyinformation', async (request) => {
    const tenant = tenantOf(request);
    return {
      CompanyInformation: {
        Address: 'Sandlådegatan 1',
        City: 'Växjö',
        CountryCode: 'SE',
        DatabaseNumber: Number(tenant.tenantId),
        CompanyName: tenant.companyName,
        OrganizationNumber: `556${tenant.tenantId.slice(-7)}`,
        VisitAddress: '',
        VisitCity: '',
        VisitCountryCode: '',
        VisitZipCode: '',
        ZipCode: '352 30',
      },
    };
  });
}
