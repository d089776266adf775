import { guard } from './guard';

export default [
  { method: 'GET', path: '/numbers', handler: 'numbers.find', config: guard('numbersRead') },
  { method: 'POST', path: '/numbers', handler: 'numbers.create', config: guard('numbersManage') },
  { method: 'GET', path: '/numbers/:id', handler: 'numbers.findOne', config: guard('numbersRead') },
  { method: 'PUT', path: '/numbers/:id', handler: 'numbers.update', config: guard('numbersManage') },
  { method: 'DELETE', path: '/numbers/:id', handler: 'numbers.delete', config: guard('numbersManage') },
  { method: 'POST', path: '/numbers/:id/check', handler: 'numbers.check', config: guard('numbersManage') },
  { method: 'GET', path: '/teams', handler: 'numbers.teams', config: guard('numbersRead') },
];
