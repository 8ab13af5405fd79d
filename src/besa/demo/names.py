"""Name material for the demo data set. Institutions are real public bodies (their RFCs and
buying-unit keys in the demo are synthesised); suppliers are fictitious."""

from __future__ import annotations

#: (code, name, level, kind)
INSTITUTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("IMSS", "Instituto Mexicano del Seguro Social", "APF", "entidad"),
    (
        "ISSSTE",
        "Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado",
        "APF",
        "entidad",
    ),
    ("SSA", "Secretaría de Salud", "APF", "dependencia"),
    ("SEP", "Secretaría de Educación Pública", "APF", "dependencia"),
    ("SICT", "Secretaría de Infraestructura, Comunicaciones y Transportes", "APF", "dependencia"),
    ("SADER", "Secretaría de Agricultura y Desarrollo Rural", "APF", "dependencia"),
    ("SEMARNAT", "Secretaría de Medio Ambiente y Recursos Naturales", "APF", "dependencia"),
    ("CONAGUA", "Comisión Nacional del Agua", "APF", "dependencia"),
    ("SRE", "Secretaría de Relaciones Exteriores", "APF", "dependencia"),
    ("SHCP", "Secretaría de Hacienda y Crédito Público", "APF", "dependencia"),
    ("SE", "Secretaría de Economía", "APF", "dependencia"),
    ("SEGOB", "Secretaría de Gobernación", "APF", "dependencia"),
    ("SSPC", "Secretaría de Seguridad y Protección Ciudadana", "APF", "dependencia"),
    ("SEDATU", "Secretaría de Desarrollo Agrario, Territorial y Urbano", "APF", "dependencia"),
    ("SECTUR", "Secretaría de Turismo", "APF", "dependencia"),
    ("CULTURA", "Secretaría de Cultura", "APF", "dependencia"),
    ("IPN", "Instituto Politécnico Nacional", "APF", "dependencia"),
    ("SAT", "Servicio de Administración Tributaria", "APF", "dependencia"),
    ("INM", "Instituto Nacional de Migración", "APF", "dependencia"),
    ("BIRMEX", "Laboratorios de Biológicos y Reactivos de México", "APF", "entidad"),
    ("LICONSA", "Leche para el Bienestar", "APF", "entidad"),
    ("ASA", "Aeropuertos y Servicios Auxiliares", "APF", "entidad"),
    ("CAPUFE", "Caminos y Puentes Federales de Ingresos y Servicios Conexos", "APF", "entidad"),
    ("CORREOS", "Correos de México", "APF", "entidad"),
    ("FONATUR", "Fondo Nacional de Fomento al Turismo", "APF", "entidad"),
    ("IMSSB", "IMSS-Bienestar", "APF", "entidad"),
    ("SSSON", "Servicios de Salud de Sonora", "GE", "ente_estatal"),
    (
        "ISSSTESON",
        "Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado de Sonora",
        "GE",
        "ente_estatal",
    ),
    ("SECSON", "Secretaría de Educación y Cultura de Sonora", "GE", "ente_estatal"),
    ("HMO", "Municipio de Hermosillo", "GM", "ente_municipal"),
)

UNIT_KINDS = (
    "Coordinación de Adquisiciones",
    "Dirección de Recursos Materiales",
    "Subdirección de Abastecimiento",
    "Delegación Regional Noroeste",
    "Delegación Regional Centro",
    "Delegación Regional Sureste",
    "Unidad de Servicios Generales",
)

SUPPLIER_FIRST = (
    "Comercializadora",
    "Distribuidora",
    "Grupo",
    "Servicios Integrales",
    "Suministros",
    "Tecnologías",
    "Consultores",
    "Laboratorios",
    "Constructora y Servicios",
    "Logística",
    "Farmacéutica",
    "Ingeniería",
    "Soluciones",
    "Proveedora",
    "Corporativo",
)
SUPPLIER_SECOND = (
    "Alfa",
    "del Norte",
    "del Pacífico",
    "Azteca",
    "Mexicana",
    "del Bajío",
    "Sonorense",
    "Peninsular",
    "Integral",
    "Continental",
    "del Valle",
    "Occidental",
    "Sierra Madre",
    "Anáhuac",
    "Tenochtitlan",
    "del Golfo",
    "Horizonte",
    "Cumbre",
    "Nova",
    "Quetzal",
)
SUPPLIER_SUFFIX = ("S.A. de C.V.", "S. de R.L. de C.V.", "S.A.P.I. de C.V.", "S.C.")
PERSON_NAMES = (
    ("Gómez", "Ramírez", "Laura"),
    ("Hernández", "López", "José"),
    ("Martínez", "Cruz", "Ana"),
    ("Pérez", "Soto", "Miguel"),
    ("Sánchez", "Vega", "María"),
    ("Torres", "Ibarra", "Luis"),
    ("Flores", "Castro", "Elena"),
    ("Díaz", "Morales", "Jorge"),
    ("Reyes", "Ortega", "Sofía"),
)

FOREIGN_SUPPLIERS = (
    ("Medical Devices International LLC", "US"),
    ("Nordic Diagnostics AB", "SE"),
    ("Iberia Software Solutions S.L.", "ES"),
    ("Pacific Vaccines Inc.", "US"),
    ("Rhein Analytik GmbH", "DE"),
)

OBJECTS = {
    "adquisicion": (
        "Adquisición de medicamentos del cuadro básico",
        "Adquisición de material de curación",
        "Adquisición de equipo de cómputo",
        "Adquisición de vehículos utilitarios",
        "Adquisición de vacunas",
        "Adquisición de reactivos de laboratorio",
        "Adquisición de uniformes y calzado",
        "Adquisición de libros de texto",
        "Adquisición de combustibles",
        "Adquisición de equipo médico",
    ),
    "arrendamiento": (
        "Arrendamiento de vehículos",
        "Arrendamiento de equipo de cómputo",
        "Arrendamiento de inmuebles para oficinas",
        "Arrendamiento de equipo de impresión",
    ),
    "servicio": (
        "Servicio de limpieza integral",
        "Servicio de vigilancia",
        "Servicio de mantenimiento de equipo médico",
        "Servicio de comedor",
        "Servicio de telecomunicaciones",
        "Servicio de desarrollo de software",
        "Servicio de fotocopiado",
        "Servicio de recolección de residuos peligrosos",
        "Servicio de consultoría",
    ),
}
