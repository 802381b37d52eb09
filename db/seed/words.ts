// Word lists for realistic Spanish and English demo data.

export const esPrefixes = ['Grupo', 'Transportes', 'Construcciones', 'Clínica', 'Talleres', 'Distribuciones', 'Consultoría', 'Hoteles', 'Industrias', 'Laboratorios', 'Inversiones', 'Servicios', 'Ingeniería', 'Logística', 'Farmacia', 'Bodegas', 'Seguros', 'Energías', 'Academia', 'Asesoría', 'Autocares', 'Frutas', 'Muebles', 'Gestoría', 'Estudio'];
export const esCores = ['Rodríguez', 'García', 'Martínez', 'López', 'Sánchez', 'Pérez', 'Gómez', 'Fernández', 'Navarro', 'Ebro', 'Cantábrico', 'Ibérica', 'Mediterráneo', 'Atlántico', 'del Sur', 'del Norte', 'Castilla', 'Aragón', 'Galicia', 'Andalucía', 'Levante', 'Guadalquivir', 'Santa Lucía', 'San Miguel', 'El Olivo', 'Alcázar', 'Torres', 'Molina', 'Ortega', 'Delgado', 'Castro', 'Romero', 'Herrera', 'Medina', 'Vega', 'Cortés', 'Iglesias', 'Núñez', 'Peña', 'Marín'];
export const esPlaces = ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Zaragoza', 'Málaga', 'Bilbao', 'Valladolid', 'Alicante', 'Córdoba', 'Vigo', 'Gijón', 'Granada', 'Murcia', 'Palma', 'Oviedo', 'Pamplona', 'Santander', 'Salamanca', 'Cádiz', 'Logroño', 'Badajoz', 'Huelva', 'Tarragona', 'León', 'Burgos', 'Albacete', 'Castellón', 'Almería', 'Toledo'];
export const esSuffixes = ['S.L.', 'S.A.', 'S.L.U.', 'S.L.', 'S.A.', '', 'y Asociados', 'Hermanos'];

export const enCores = ['Northwind', 'Blue Harbor', 'Greenfield', 'Silverline', 'Redwood', 'Summit', 'Brightwater', 'Oakridge', 'Crescent', 'Ironbridge', 'Kingsway', 'Riverside', 'Highland', 'Westbrook', 'Stonegate', 'Falcon', 'Aurora', 'Pinnacle', 'Maple', 'Harbour', 'Evergreen', 'Lighthouse', 'Cobalt', 'Granite', 'Meridian'];
export const enSectors = ['Logistics', 'Health', 'Capital', 'Foods', 'Energy', 'Systems', 'Analytics', 'Retail', 'Manufacturing', 'Consulting', 'Labs', 'Hotels', 'Engineering', 'Software', 'Partners', 'Logistics Group', 'Insurance', 'Pharma'];
export const enPlaces = ['London', 'Manchester', 'Leeds', 'Bristol', 'Dublin', 'Boston', 'Austin', 'Denver', 'Toronto', 'Glasgow', 'Cardiff', 'Oxford', 'York', 'Chicago', 'Seattle', 'Atlanta', 'Sheffield', 'Belfast', 'Cambridge', 'Brighton'];
export const enSuffixes = ['Ltd', 'Inc', 'LLC', 'Group', 'plc', '', 'Ltd', 'Inc'];

export const esFirstNames = ['Lucía', 'María', 'Carmen', 'Ana', 'Laura', 'Marta', 'Elena', 'Sofía', 'Paula', 'Isabel', 'Javier', 'Carlos', 'David', 'José', 'Manuel', 'Antonio', 'Pablo', 'Álvaro', 'Sergio', 'Miguel', 'Raúl', 'Andrés', 'Nuria', 'Pilar', 'Rocío'];
export const esLastNames = ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín', 'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero', 'Alonso', 'Gutiérrez', 'Navarro', 'Torres', 'Domínguez', 'Vázquez', 'Ramos'];
export const enFirstNames = ['Emma', 'Olivia', 'Amelia', 'Isla', 'Grace', 'Sophie', 'Charlotte', 'Hannah', 'Chloe', 'Lucy', 'James', 'Oliver', 'Harry', 'George', 'Jack', 'Thomas', 'William', 'Daniel', 'Samuel', 'Michael', 'Ryan', 'Ethan', 'Megan', 'Laura', 'Kate'];
export const enLastNames = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', "O'Brien", 'Murphy', 'Kelly', 'Walsh', 'Hughes'];

export const esRoles = ['Directora de RR. HH.', 'Responsable de selección', 'Director general', 'Jefa de operaciones', 'Responsable de compras', 'Director financiero', 'Técnica de RR. HH.', 'Gerente'];
export const enRoles = ['HR Director', 'Talent Acquisition Lead', 'Managing Director', 'Head of Operations', 'Procurement Manager', 'CFO', 'HR Business Partner', 'Hiring Manager'];

export const jobTitles = ['Desarrollador/a Full Stack', 'Backend Engineer', 'Jefe/a de almacén', 'Enfermero/a', 'Contable senior', 'Sales Manager', 'Técnico/a de mantenimiento', 'Data Analyst', 'Recepcionista de hotel', 'Project Manager', 'Ingeniero/a de procesos', 'Customer Success Manager', 'Administrativo/a', 'Chef de cocina', 'Product Designer', 'Electricista industrial', 'Controller financiero', 'DevOps Engineer', 'Comercial de zona', 'Operario/a de producción'];

export const eventTitles: Record<string, { es: string[]; en: string[] }> = {
  meeting: { es: ['Reunión de seguimiento', 'Reunión de arranque', 'Revisión trimestral', 'Visita a oficinas'], en: ['Follow-up meeting', 'Kick-off meeting', 'Quarterly business review', 'Site visit'] },
  call: { es: ['Llamada de seguimiento', 'Llamada con RR. HH.', 'Llamada de feedback'], en: ['Follow-up call', 'Call with HR', 'Feedback call'] },
  email: { es: ['Envío de candidaturas', 'Confirmación de condiciones', 'Resumen de la reunión'], en: ['Shortlist sent', 'Terms confirmed', 'Meeting summary'] },
  proposal: { es: ['Propuesta de servicios', 'Propuesta de proceso en exclusiva'], en: ['Service proposal', 'Retained search proposal'] },
  satisfaction_survey: { es: ['Encuesta de satisfacción trimestral'], en: ['Quarterly satisfaction survey'] },
  note: { es: ['Nota interna', 'Cambio de interlocutor'], en: ['Internal note', 'New point of contact'] },
  won_deal: { es: ['Trato ganado'], en: ['Deal won'] },
  other: { es: ['Evento del sector', 'Invitación a jornada'], en: ['Industry event', 'Open day invitation'] },
};
